import type { PolicyRule } from 'kubernetes-types/rbac/v1.js';
import type { UserInfo } from '../authn/index.js';
import type { Attributes, Authorizer, Decision } from './authorizer.js';
import type { NodeGraph, VertexType } from './node-graph.js';
import { rulesAllow } from './rbac-rules.js';

type Answer = { decision: Decision; reason: string };

const NODE_USER_PREFIX = 'system:node:';
export const NODES_GROUP = 'system:nodes';
const NODE_LEASE_NAMESPACE = 'kube-node-lease';
const allow: Answer = { decision: 'Allow', reason: '' };
const noOpinion = (reason = ''): Answer => ({ decision: 'NoOpinion', reason });

/** upstream's NodeIdentity: a user named `system:node:<name>` in the group `system:nodes` is that node. */
export function nodeIdentity(user: UserInfo): { isNode: boolean; nodeName: string } {
  if (!user.username.startsWith(NODE_USER_PREFIX) || !user.groups.includes(NODES_GROUP)) return { isNode: false, nodeName: '' };
  return { isNode: true, nodeName: user.username.slice(NODE_USER_PREFIX.length) };
}

/** The value a field selector requires of `field` with `=` or `==`, if it does. */
function selectedValue(fieldSelector: string | undefined, field: string): string | undefined {
  for (const term of (fieldSelector ?? '').split(',')) {
    const m = /^\s*([^!=\s]+)\s*==?\s*(.*?)\s*$/.exec(term);
    if (m && m[1] === field) return m[2];
  }
  return undefined;
}

/**
 * upstream's Node authorizer (with AuthorizeNodeWithSelectors, on by default in v1.32): a node reads only the
 * Secrets, ConfigMaps, PersistentVolumeClaims and Pods related to it in the graph, reads and writes its own Node
 * object and Lease, lists Pods only with `spec.nodeName=<itself>`; everything else is judged by the static node
 * rules. It never denies outright: other authorizers (RBAC) may still allow.
 */
export class NodeAuthorizer implements Authorizer {
  constructor(
    private readonly graph: NodeGraph,
    private readonly nodeRules: readonly PolicyRule[],
  ) {}

  async authorize(attrs: Attributes): Promise<Answer> {
    const { isNode, nodeName } = nodeIdentity(attrs.user);
    if (!isNode) return noOpinion();
    if (nodeName === '') return noOpinion(`unknown node for user "${attrs.user.username}"`);
    if (attrs.resourceRequest) {
      const gr = `${attrs.apiGroup ?? ''}/${attrs.resource ?? ''}`;
      switch (gr) {
        case '/secrets':
          return this.readNamespaced(nodeName, 'secret', attrs);
        case '/configmaps':
          return this.readNamespaced(nodeName, 'configmap', attrs);
        case '/persistentvolumeclaims':
          if (attrs.subresource === 'status') return this.statusUpdate(nodeName, 'pvc', attrs);
          return this.get(nodeName, 'pvc', attrs);
        case '/serviceaccounts':
          return this.createToken(nodeName, attrs);
        case 'coordination.k8s.io/leases':
          return this.lease(nodeName, attrs);
        case '/nodes': {
          const answer = this.node(nodeName, attrs);
          if (answer) return answer;
          break;
        }
        case '/pods': {
          const answer = this.pod(nodeName, attrs);
          if (answer) return answer;
          break;
        }
      }
    }
    return rulesAllow(attrs, this.nodeRules) ? allow : noOpinion();
  }

  private readNamespaced(nodeName: string, type: VertexType, attrs: Attributes): Answer {
    if (!['get', 'list', 'watch'].includes(attrs.verb)) return noOpinion('can only read resources of this type');
    if (attrs.subresource) return noOpinion('cannot read subresource');
    if (!attrs.namespace) return noOpinion('can only read namespaced object of this type');
    return this.related(nodeName, type, attrs);
  }

  private get(nodeName: string, type: VertexType, attrs: Attributes): Answer {
    if (attrs.verb !== 'get') return noOpinion('can only get individual resources of this type');
    if (attrs.subresource) return noOpinion('cannot get subresource');
    return this.related(nodeName, type, attrs);
  }

  private statusUpdate(nodeName: string, type: VertexType, attrs: Attributes): Answer {
    if (attrs.verb !== 'update' && attrs.verb !== 'patch') return noOpinion('can only get/update/patch this type');
    return this.related(nodeName, type, attrs);
  }

  private createToken(nodeName: string, attrs: Attributes): Answer {
    if (attrs.verb !== 'create' || !attrs.name) return noOpinion('can only create tokens for individual service accounts');
    if (attrs.subresource !== 'token') return noOpinion('can only create token subresource of serviceaccount');
    return this.related(nodeName, 'serviceaccount', attrs);
  }

  private related(nodeName: string, type: VertexType, attrs: Attributes): Answer {
    if (!attrs.name) return noOpinion('No Object name found');
    if (!this.graph.hasPath(nodeName, type, attrs.namespace ?? '', attrs.name)) return noOpinion(`no relationship found between node '${nodeName}' and this object`);
    return allow;
  }

  private lease(nodeName: string, attrs: Attributes): Answer {
    if (!['get', 'create', 'update', 'patch', 'delete'].includes(attrs.verb)) return noOpinion('can only get, create, update, patch, or delete a node lease');
    if (attrs.namespace !== NODE_LEASE_NAMESPACE) return noOpinion(`can only access leases in the "${NODE_LEASE_NAMESPACE}" system namespace`);
    // The name is unknown on create; NodeRestriction admission checks it then.
    if (attrs.verb !== 'create' && attrs.name !== nodeName) return noOpinion('can only access node lease with the same name as the requesting node');
    return allow;
  }

  /** undefined: judged by the node rules. */
  private node(nodeName: string, attrs: Attributes): Answer | undefined {
    const verb = attrs.verb;
    if (!attrs.subresource) {
      // NodeRestriction admission limits a node to writing its own Node.
      if (verb === 'create' || verb === 'update' || verb === 'patch') return allow;
      if (verb === 'get' || verb === 'list' || verb === 'watch') {
        if (attrs.name === nodeName) return allow;
        if (!attrs.name) return noOpinion(`node '${nodeName}' cannot read all nodes, only its own Node object`);
        return noOpinion(`node '${nodeName}' cannot read '${attrs.name}', only its own Node object`);
      }
    } else if (attrs.subresource === 'status' && (verb === 'update' || verb === 'patch')) {
      return allow;
    }
    return noOpinion();
  }

  private pod(nodeName: string, attrs: Attributes): Answer | undefined {
    const verb = attrs.verb;
    switch (attrs.subresource ?? '') {
      case '':
        if (verb === 'get') return this.get(nodeName, 'pod', attrs);
        if (verb === 'list' || verb === 'watch') {
          if (selectedValue(attrs.fieldSelector, 'spec.nodeName') === nodeName) return allow;
          if (attrs.name) return this.related(nodeName, 'pod', attrs);
          return noOpinion('can only list/watch pods with spec.nodeName field selector');
        }
        // Mirror Pods; NodeRestriction admission limits them to the node's own.
        if (verb === 'create' || verb === 'delete') return allow;
        break;
      case 'status':
        if (verb === 'update' || verb === 'patch') return allow;
        break;
      case 'eviction':
        if (verb === 'create') return allow;
        break;
    }
    return noOpinion();
  }
}

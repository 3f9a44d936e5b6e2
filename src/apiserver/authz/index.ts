// Authorization: the Authorizer interface, the modes (AlwaysAllow, Node, RBAC) and their union, upstream's bootstrap
// policy, and RBAC's escalation prevention.
export { alwaysAllow, type Attributes, type Authorizer, type Decision } from './authorizer.js';
export { bootstrapPolicy, NODE_RULES, SIMULATED_NODES_GROUP } from './bootstrap-policy.js';
export { CONTROLLER_NAMES } from './bootstrap-controller-roles.js';
export { feedNodeGraph } from './node-graph-feed.js';
export { NodeAuthorizer, nodeIdentity, NODES_GROUP } from './node-authorizer.js';
export { NodeGraph } from './node-graph.js';
export { RbacAuthorizer, type RbacLister, type ResolvedRules } from './rbac-authorizer.js';
export { RbacEscalationCheck } from './rbac-escalation.js';
export { ruleAllows, rulesAllow } from './rbac-rules.js';
export { parseAuthorizationModes, UnionAuthorizer, type AuthorizationMode } from './union-authorizer.js';
export { reconcileBootstrapPolicy, type PolicyStore } from './reconcile-bootstrap-policy.js';
export { impersonate, impersonationHeaders } from './impersonation.js';

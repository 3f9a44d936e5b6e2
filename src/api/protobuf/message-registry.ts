import { appsV1Messages } from './messages-apps-v1.js';
import { authenticationV1Messages } from './messages-authentication-v1.js';
import { authorizationV1Messages } from './messages-authorization-v1.js';
import { batchV1Messages } from './messages-batch-v1.js';
import { coreV1ContainerMessages } from './messages-core-v1-container.js';
import { coreV1ObjectsMessages } from './messages-core-v1-objects.js';
import { coreV1PodSpecMessages } from './messages-core-v1-pod-spec.js';
import { coreV1PodStatusMessages } from './messages-core-v1-pod-status.js';
import { coreV1VolumePluginsMessages } from './messages-core-v1-volume-plugins.js';
import { coreV1VolumesMessages } from './messages-core-v1-volumes.js';
import { metaV1Messages } from './messages-meta-v1.js';
import { networkingV1Messages } from './messages-networking-v1.js';
import { policyV1Messages } from './messages-policy-v1.js';
import { rbacV1Messages } from './messages-rbac-v1.js';
import { schedulingV1Messages } from './messages-scheduling-v1.js';
import type { MessageSchema, MessageTable } from './schema.js';

const messages: MessageTable = {
  ...metaV1Messages,
  ...coreV1ObjectsMessages,
  ...coreV1PodSpecMessages,
  ...coreV1ContainerMessages,
  ...coreV1VolumesMessages,
  ...coreV1VolumePluginsMessages,
  ...coreV1PodStatusMessages,
  ...appsV1Messages,
  ...batchV1Messages,
  ...rbacV1Messages,
  ...authorizationV1Messages,
  ...authenticationV1Messages,
  ...networkingV1Messages,
  ...policyV1Messages,
  ...schedulingV1Messages,
};

/** Top-level kinds by apiVersion; each kind's message has the kind's name. */
const kindsByApiVersion: Readonly<Record<string, readonly string[]>> = {
  v1: ['Namespace', 'ConfigMap', 'Secret', 'ServiceAccount', 'Service', 'Pod', 'PodTemplate', 'ResourceQuota'],
  'apps/v1': ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'],
  'batch/v1': ['Job', 'CronJob'],
  'rbac.authorization.k8s.io/v1': ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'],
  'authorization.k8s.io/v1': [
    'SelfSubjectAccessReview',
    'SubjectAccessReview',
    'LocalSubjectAccessReview',
    'SelfSubjectRulesReview',
  ],
  'authentication.k8s.io/v1': ['SelfSubjectReview', 'TokenRequest', 'TokenReview'],
  'networking.k8s.io/v1': ['Ingress'],
  'policy/v1': ['PodDisruptionBudget'],
  'scheduling.k8s.io/v1': ['PriorityClass'],
};

export function messageSchema(name: string): MessageSchema | undefined {
  return Object.hasOwn(messages, name) ? messages[name] : undefined;
}

/** The message name for a top-level kind, or undefined when it cannot be decoded. */
export function kindMessage(apiVersion: string, kind: string): string | undefined {
  const kinds = Object.hasOwn(kindsByApiVersion, apiVersion) ? kindsByApiVersion[apiVersion] : undefined;
  return kinds?.includes(kind) ? kind : undefined;
}

export function decodableKinds(): { apiVersion: string; kind: string }[] {
  return Object.entries(kindsByApiVersion).flatMap(([apiVersion, kinds]) =>
    kinds.map((kind) => ({ apiVersion, kind })),
  );
}

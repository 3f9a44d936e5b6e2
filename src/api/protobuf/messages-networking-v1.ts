import { msg, listOf, type MessageTable } from './schema.js';

export const networkingV1Messages: MessageTable = {
  Ingress: {
    1: ['metadata', msg('ObjectMeta')],
    2: ['spec', msg('IngressSpec')],
    3: ['status', msg('IngressStatus')],
  },
  IngressSpec: {
    1: ['defaultBackend', msg('IngressBackend')],
    2: ['tls', listOf(msg('IngressTLS'))],
    3: ['rules', listOf(msg('IngressRule'))],
    4: ['ingressClassName', 'string', 'keep'],
  },
  IngressStatus: {
    1: ['loadBalancer', msg('IngressLoadBalancerStatus')],
  },
  IngressBackend: {
    3: ['resource', msg('TypedLocalObjectReference')],
    4: ['service', msg('IngressServiceBackend')],
  },
  IngressTLS: {
    1: ['hosts', listOf('string')],
    2: ['secretName', 'string'],
  },
  IngressRule: {
    1: ['host', 'string'],
    2: ['', msg('IngressRuleValue'), 'inline'],
  },
  IngressLoadBalancerStatus: {
    1: ['ingress', listOf(msg('IngressLoadBalancerIngress'))],
  },
  IngressServiceBackend: {
    1: ['name', 'string', 'keep'],
    2: ['port', msg('ServiceBackendPort')],
  },
  IngressRuleValue: {
    1: ['http', msg('HTTPIngressRuleValue')],
  },
  IngressLoadBalancerIngress: {
    1: ['ip', 'string'],
    2: ['hostname', 'string'],
    4: ['ports', listOf(msg('IngressPortStatus'))],
  },
  ServiceBackendPort: {
    1: ['name', 'string'],
    2: ['number', 'int32'],
  },
  HTTPIngressRuleValue: {
    1: ['paths', listOf(msg('HTTPIngressPath'))],
  },
  IngressPortStatus: {
    1: ['port', 'int32', 'keep'],
    2: ['protocol', 'string', 'keep'],
    3: ['error', 'string', 'keep'],
  },
  HTTPIngressPath: {
    1: ['path', 'string'],
    2: ['backend', msg('IngressBackend')],
    3: ['pathType', 'string', 'keep'],
  },
};

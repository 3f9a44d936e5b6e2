// Admission: the mutating plugins a write goes through after defaulting and before validation.
export { admissionForbidden, admit, type AdmissionAttributes, type MutatingAdmissionPlugin } from './admission.js';
export { defaultEnabledAdmissionPlugins, enabledAdmissionPlugins, ORDERED_ADMISSION_PLUGINS } from './admission-plugins.js';
export { DEFAULT_PRIORITY_WHEN_NO_DEFAULT_CLASS, priorityAdmission, SCHEDULING_GROUP, type PriorityClassLister } from './priority.js';
export {
  DEFAULT_SERVICE_ACCOUNT,
  KUBE_API_ACCESS_PREFIX,
  kubeApiAccessVolume,
  ROOT_CA_CONFIG_MAP,
  SERVICE_ACCOUNT_MOUNT_PATH,
  serviceAccountAdmission,
  type ServiceAccountGetter,
} from './service-account.js';
export { defaultTolerationSeconds, TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE, type DefaultTolerationSecondsOptions } from './default-toleration-seconds.js';

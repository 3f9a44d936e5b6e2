import { msg, type MessageTable } from './schema.js';

export const schedulingV1Messages: MessageTable = {
  PriorityClass: {
    1: ['metadata', msg('ObjectMeta')],
    2: ['value', 'int32', 'keep'],
    3: ['globalDefault', 'bool'],
    4: ['description', 'string'],
    5: ['preemptionPolicy', 'string', 'keep'],
  },
};

import type { Event as CoreEvent } from 'kubernetes-types/core/v1.js';
import type { EventSink, RestClient } from '../client/index.js';

/** Events written as core/v1 Events through the client. */
export function eventSink(client: RestClient): EventSink {
  const events = client.kind<CoreEvent>('v1', 'Event');
  return {
    create: (namespace, event) => events.create(namespace, event),
    patch: (namespace, name, patch) => events.patch(namespace, name, 'strategic', patch),
  };
}

import type { InformerFactory, RestClient } from '../../client/index.js';
import type { Clock } from '../../lib/index.js';

/** What every controller is built with: the API client, the manager's shared informers, a clock and a log. */
export interface ControllerContext {
  readonly client: RestClient;
  readonly informers: InformerFactory;
  readonly clock: Clock;
  readonly log?: (message: string) => void;
}

import { AsyncLocalStorage } from 'node:async_hooks';
import type { UserInfo } from './authn/index.js';

/**
 * The user of the request being served, for code deep in the write path (validating admission) that the request's
 * user matters to, as upstream carries it in the request context.
 */
export const requestUser = new AsyncLocalStorage<UserInfo>();

// Authorization: the Authorizer interface every mode implements, and the modes built so far.
export { alwaysAllow, type Attributes, type Authorizer, type Decision } from './authorizer.js';

// Small named primitives shared by every layer (clock, backoff, abort handling, logging). No I/O policy lives here.
export {};

/** The outcome of a plugin call, coded as upstream's framework.Code. */
export enum Code {
  Success = 0,
  Error = 1,
  /** The node does not fit now; preemption may help. */
  Unschedulable = 2,
  /** The node does not fit, and removing Pods from it would not change that. */
  UnschedulableAndUnresolvable = 3,
  Wait = 4,
  /** The plugin has nothing to do for this Pod (PreFilter/PreScore: its Filter/Score is skipped; Bind: the next binder). */
  Skip = 5,
}

/**
 * A non-success result with the reasons shown to users (`Insufficient cpu`). Success is `undefined` everywhere, so the
 * hot path allocates nothing for nodes that fit.
 */
export class Status {
  /** The plugin that returned it, set by the framework. */
  plugin = '';

  constructor(
    readonly code: Code,
    readonly reasons: readonly string[] = [],
    readonly error?: unknown,
  ) {}

  static unschedulable(...reasons: string[]): Status {
    return new Status(Code.Unschedulable, reasons);
  }

  static unresolvable(...reasons: string[]): Status {
    return new Status(Code.UnschedulableAndUnresolvable, reasons);
  }

  static error(err: unknown): Status {
    return new Status(Code.Error, [err instanceof Error ? err.message : String(err)], err);
  }

  static skip(): Status {
    return new Status(Code.Skip);
  }

  isRejection(): boolean {
    return this.code === Code.Unschedulable || this.code === Code.UnschedulableAndUnresolvable;
  }

  message(): string {
    return this.reasons.join(', ');
  }

  withPlugin(plugin: string): this {
    this.plugin = plugin;
    return this;
  }
}

/** What a plugin call returns: undefined for success. */
export type Result = Status | undefined;

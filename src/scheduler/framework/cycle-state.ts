/**
 * Data plugins compute in one scheduling cycle and read later in it (PreFilter → Filter, PreScore → Score), keyed by
 * the plugin's own key. A cycle state is used by one cycle only; `clone` gives preemption's dry runs their own copy.
 */
export class CycleState {
  private readonly data = new Map<string, StateData>();
  /** PreFilter plugins that returned Skip: their Filter is not called in this cycle. */
  readonly skipFilterPlugins = new Set<string>();
  /** PreScore plugins that returned Skip: their Score is not called in this cycle. */
  readonly skipScorePlugins = new Set<string>();

  read<T extends StateData>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }

  write(key: string, value: StateData): void {
    this.data.set(key, value);
  }

  clone(): CycleState {
    const copy = new CycleState();
    for (const [k, v] of this.data) copy.data.set(k, v.clone());
    for (const p of this.skipFilterPlugins) copy.skipFilterPlugins.add(p);
    for (const p of this.skipScorePlugins) copy.skipScorePlugins.add(p);
    return copy;
  }
}

/** A value kept in a CycleState; `clone` must copy whatever a PreFilter extension (AddPod/RemovePod) may change. */
export interface StateData {
  clone(): StateData;
}

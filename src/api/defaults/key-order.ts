/**
 * In-place key ordering for decoded JSON: Go prints struct fields in declaration order and map
 * keys sorted. Most objects are already in order, so that is checked first (cheaply, and for
 * the same keys as last time not at all); only the keys from the first misplaced one onwards
 * are then re-inserted.
 */
export type JsonObject = Record<string, unknown>;

interface OrderInfo {
  /** Each key's first position in the order. */
  readonly ranks: ReadonlyMap<string, number>;
  /** The keys of the last object found in order: the same keys again need no ranking. */
  lastInOrder: readonly string[];
}

const ORDERS = new WeakMap<readonly string[], OrderInfo>();

function orderInfo(order: readonly string[]): OrderInfo {
  let info = ORDERS.get(order);
  if (info === undefined) {
    const ranks = new Map<string, number>();
    order.forEach((key, i) => {
      if (!ranks.has(key)) ranks.set(key, i);
    });
    info = { ranks, lastInOrder: [] };
    ORDERS.set(order, info);
  }
  return info;
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Re-inserts the keys from the first one out of place onwards, in `sorted` order. They are
 * deleted last first: removing an object's newest property keeps V8's fast (non-dictionary)
 * representation, which a delete in the middle would give up.
 */
function reinsert(obj: JsonObject, keys: readonly string[], sorted: readonly string[]): void {
  let from = 0;
  // An own `__proto__` key (JSON.parse makes them) does not survive re-insertion by assignment;
  // such an object has every key re-inserted, as it always had.
  if (!keys.includes('__proto__')) while (from < keys.length && keys[from] === sorted[from]) from++;
  const values: unknown[] = [];
  for (let i = from; i < sorted.length; i++) values.push(obj[sorted[i] as string]);
  for (let i = keys.length - 1; i >= from; i--) delete obj[keys[i] as string];
  for (let i = from; i < sorted.length; i++) obj[sorted[i] as string] = values[i - from];
}

/** Rewrites `obj` in place so its keys follow `order`; keys not in `order` go last, in their order. */
export function orderKeys(obj: JsonObject, order: readonly string[]): void {
  const keys = Object.keys(obj);
  const info = orderInfo(order);
  if (sameKeys(keys, info.lastInOrder)) return;
  const unknown = order.length;
  const ranks = keys.map((key) => info.ranks.get(key) ?? unknown);
  let inOrder = true;
  for (let i = 1; i < ranks.length && inOrder; i++) inOrder = (ranks[i - 1] as number) <= (ranks[i] as number);
  if (inOrder) {
    info.lastInOrder = keys;
    return;
  }
  reinsert(obj, keys, sortByRank(keys, ranks));
}

const INSERTION_SORT_MAX = 32;

/** The keys stably sorted by their ranks: an insertion sort for the usual short lists. */
function sortByRank(keys: readonly string[], ranks: readonly number[]): string[] {
  if (keys.length > INSERTION_SORT_MAX) {
    return keys
      .map((key, i) => [key, ranks[i] as number] as const)
      .sort((a, b) => a[1] - b[1])
      .map(([key]) => key);
  }
  const sorted = [...keys];
  const sortedRanks = [...ranks];
  for (let i = 1; i < sorted.length; i++) {
    const key = sorted[i] as string;
    const rank = sortedRanks[i] as number;
    let j = i - 1;
    for (; j >= 0 && (sortedRanks[j] as number) > rank; j--) {
      sorted[j + 1] = sorted[j] as string;
      sortedRanks[j + 1] = sortedRanks[j] as number;
    }
    sorted[j + 1] = key;
    sortedRanks[j + 1] = rank;
  }
  return sorted;
}

/** Go marshals maps with sorted keys. */
export function sortMapKeys(obj: JsonObject): void {
  const keys = Object.keys(obj);
  let sortedAlready = true;
  for (let i = 1; i < keys.length; i++) {
    if ((keys[i - 1] as string) > (keys[i] as string)) {
      sortedAlready = false;
      break;
    }
  }
  if (!sortedAlready) reinsert(obj, keys, [...keys].sort());
}

/**
 * Go's sort.SliceStable step for step: insertion sort over blocks of 20, then SymMerge. Any
 * stable sort agrees with it for a consistent `less`; strategic merge patch also sorts with a
 * `less` that is true whenever an item is missing from the order list, and then only the same
 * sequence of comparisons and swaps gives upstream's order.
 */
type Less<T> = (a: T, b: T) => boolean;

const BLOCK_SIZE = 20;

function swap<T>(data: T[], i: number, j: number): void {
  const tmp = data[i] as T;
  data[i] = data[j] as T;
  data[j] = tmp;
}

function lessAt<T>(data: T[], less: Less<T>, i: number, j: number): boolean {
  return less(data[i] as T, data[j] as T);
}

function insertionSort<T>(data: T[], less: Less<T>, a: number, b: number): void {
  for (let i = a + 1; i < b; i++) {
    for (let j = i; j > a && lessAt(data, less, j, j - 1); j--) swap(data, j, j - 1);
  }
}

function swapRange<T>(data: T[], a: number, b: number, n: number): void {
  for (let i = 0; i < n; i++) swap(data, a + i, b + i);
}

function rotate<T>(data: T[], a: number, m: number, b: number): void {
  let i = m - a;
  let j = b - m;
  while (i !== j) {
    if (i > j) {
      swapRange(data, m - i, m, j);
      i -= j;
    } else {
      swapRange(data, m - i, m + j - i, i);
      j -= i;
    }
  }
  swapRange(data, m - i, m, i);
}

/** Merges the sorted runs data[a:m] and data[m:b] in place. */
function symMerge<T>(data: T[], less: Less<T>, a: number, m: number, b: number): void {
  if (m - a === 1) {
    let i = m;
    let j = b;
    while (i < j) {
      const h = (i + j) >>> 1;
      if (lessAt(data, less, h, a)) i = h + 1;
      else j = h;
    }
    for (let k = a; k < i - 1; k++) swap(data, k, k + 1);
    return;
  }
  if (b - m === 1) {
    let i = a;
    let j = m;
    while (i < j) {
      const h = (i + j) >>> 1;
      if (!lessAt(data, less, m, h)) i = h + 1;
      else j = h;
    }
    for (let k = m; k > i; k--) swap(data, k, k - 1);
    return;
  }
  const mid = (a + b) >>> 1;
  const n = mid + m;
  let start = m > mid ? n - b : a;
  let r = m > mid ? mid : m;
  const p = n - 1;
  while (start < r) {
    const c = (start + r) >>> 1;
    if (!lessAt(data, less, p - c, c)) start = c + 1;
    else r = c;
  }
  const end = n - start;
  if (start < m && m < end) rotate(data, start, m, end);
  if (a < start && start < mid) symMerge(data, less, a, start, mid);
  if (mid < end && end < b) symMerge(data, less, mid, end, b);
}

/** Sorts `data` in place exactly as Go's sort.SliceStable would. */
export function goSliceStable<T>(data: T[], less: Less<T>): void {
  const n = data.length;
  let blockSize = BLOCK_SIZE;
  let a = 0;
  let b = blockSize;
  while (b <= n) {
    insertionSort(data, less, a, b);
    a = b;
    b += blockSize;
  }
  insertionSort(data, less, a, n);
  while (blockSize < n) {
    a = 0;
    b = 2 * blockSize;
    while (b <= n) {
      symMerge(data, less, a, a + blockSize, b);
      a = b;
      b += 2 * blockSize;
    }
    const m = a + blockSize;
    if (m < n) symMerge(data, less, a, m, n);
    blockSize *= 2;
  }
}

/** `T` with its own properties writable: for building a frozen value step by step before it is handed out. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

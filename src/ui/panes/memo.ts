/**
 * Remembers the last result for the last arguments (compared by identity). Selectors over several store
 * slices use it: a keystroke that changes none of the slices costs one comparison per argument.
 */
export function memoLast<A extends readonly unknown[], V>(compute: (...args: A) => V): (...args: A) => V {
  let lastArgs: A | null = null;
  let lastValue: V | undefined;
  return (...args: A): V => {
    if (lastArgs !== null && lastArgs.length === args.length && lastArgs.every((a, i) => a === args[i])) {
      return lastValue as V;
    }
    lastValue = compute(...args);
    lastArgs = args;
    return lastValue;
  };
}

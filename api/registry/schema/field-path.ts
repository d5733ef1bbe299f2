// The field path of the value a walk is at, kept as a stack of steps and spelled only when a
// cause or a pruned field needs it: building the string for every value visited (most of which
// are fine) cost more than the checks themselves.
import { child, index } from './json.ts';

/**
 * FieldPath is a mutable path: `push` a key or an index before descending, `pop` after; `text`
 * spells it as json.ts's `child` and `index` would (`spec.roles[0].name`), after `base`.
 */
export class FieldPath {
  readonly #base: string;
  readonly #steps: (string | number)[] = [];

  constructor(base = '') {
    this.#base = base;
  }

  /** push descends into an object key or an array index. */
  push(step: string | number): void {
    this.#steps.push(step);
  }

  /** pop returns to the parent. */
  pop(): void {
    this.#steps.pop();
  }

  /** text is the path as causes and prune results spell it. */
  text(): string {
    let path = this.#base;
    for (const step of this.#steps)
      path = typeof step === 'number' ? index(path, step) : child(path, step);
    return path;
  }

  /** childText is the path of key k below this one, without descending. */
  childText(k: string): string {
    return child(this.text(), k);
  }
}

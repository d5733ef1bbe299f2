// The running state of one ACCEPT while its operations are walked in order (the locals of Mesos's
// Master::_accept), and the fixed context they are walked in.
import type { Resources } from '../../../core/resources/index.ts';
import type { Offer, OfferOperation } from '../../../core/types/index.ts';
import type { NamesInUse } from './names-in-use.ts';
import type { RecordBook } from './record-book.ts';
import type { Where } from './record-objects.ts';
import type { RuleContext } from './resource-rules.ts';
import type { AgentState, Conversion, FrameworkView, StepResult, TaskUse } from './types.ts';

/** WalkContext is what does not change while an answer's operations run. */
export interface WalkContext {
  readonly offer: Offer;
  readonly framework: FrameworkView;
  readonly agent: AgentState;
  readonly where: Where;
  readonly rules: RuleContext;
}

/** WalkState is what the operations change as they run, in order. */
export interface WalkState {
  /** remaining: offered resources after speculative operations, minus what launches took. */
  remaining: Resources;
  /** remainingShared: every offered shared volume, kept even when a task uses it (Mesos). */
  remainingShared: Resources;
  /** resized: volumes after GROW/SHRINK; later operations in the answer cannot use them. */
  resized: Resources;
  /** used: held by launched tasks and non-speculative operations. */
  used: Resources;
  conversions: Conversion[];
  /** users: tasks holding resources on the agent, other offers' and this answer's. */
  users: TaskUse[];
  /** taskNames: task names in use in the framework's namespace. */
  taskNames: NamesInUse;
  /** operationIds: operation ids other offers already used. */
  operationIds: NamesInUse;
  results: StepResult[];
  rescind: Resources;
  readonly book: RecordBook;
}

/** StepHandler runs one operation of the answer. */
export type StepHandler = (
  ctx: WalkContext,
  state: WalkState,
  op: OfferOperation,
  index: number,
) => void;

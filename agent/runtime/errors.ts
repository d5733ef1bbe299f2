// One error class per way the runtime fails, all under RuntimeError so the task sync loop can turn
// any of them into a task state with one `instanceof` and a switch on `reason`. runc, conmon and
// mount failures are mapped to these once, in the adapters that call them.

/** RuntimeErrorReason is the literal failure kind; each has exactly one subclass below. */
export type RuntimeErrorReason =
  | 'Unavailable'
  | 'InvalidSpec'
  | 'NotFound'
  | 'AlreadyExists'
  | 'NotRunning'
  | 'LaunchFailed'
  | 'CommandFailed';

/** RuntimeError is the base of every error agent/runtime throws on purpose. */
export abstract class RuntimeError extends Error {
  abstract readonly reason: RuntimeErrorReason;
}

/** RuntimeUnavailableError: this host cannot run containers; `missing` names every missing piece. */
export class RuntimeUnavailableError extends RuntimeError {
  override readonly name = 'RuntimeUnavailableError';
  readonly reason = 'Unavailable';
  readonly missing: readonly string[];
  constructor(missing: readonly string[]) {
    super(`container runtime unavailable, missing: ${missing.join('; ')}`);
    this.missing = missing;
  }
}

/** ContainerSpecError: the spec cannot be turned into a safe OCI bundle (field says where). */
export class ContainerSpecError extends RuntimeError {
  override readonly name = 'ContainerSpecError';
  readonly reason = 'InvalidSpec';
  readonly field: string;
  constructor(field: string, why: string) {
    super(`invalid container spec at ${field}: ${why}`);
    this.field = field;
  }
}

/** ContainerNotFoundError: the runtime has no container with this id. */
export class ContainerNotFoundError extends RuntimeError {
  override readonly name = 'ContainerNotFoundError';
  readonly reason = 'NotFound';
  readonly id: string;
  constructor(id: string) {
    super(`container ${id} not found`);
    this.id = id;
  }
}

/** ContainerExistsError: create was given an id that is already in use. */
export class ContainerExistsError extends RuntimeError {
  override readonly name = 'ContainerExistsError';
  readonly reason = 'AlreadyExists';
  readonly id: string;
  constructor(id: string) {
    super(`container ${id} already exists`);
    this.id = id;
  }
}

/** ContainerNotRunningError: the operation needs a running container (exec, attach). */
export class ContainerNotRunningError extends RuntimeError {
  override readonly name = 'ContainerNotRunningError';
  readonly reason = 'NotRunning';
  readonly id: string;
  constructor(id: string, status: string) {
    super(`container ${id} is not running (${status})`);
    this.id = id;
  }
}

/** ContainerLaunchError: runc or conmon could not create or start the container. */
export class ContainerLaunchError extends RuntimeError {
  override readonly name = 'ContainerLaunchError';
  readonly reason = 'LaunchFailed';
  readonly id: string;
  constructor(id: string, why: string) {
    super(`container ${id} failed to launch: ${why}`);
    this.id = id;
  }
}

/** RuntimeCommandError: a runc/mount invocation failed in a way no other error describes. */
export class RuntimeCommandError extends RuntimeError {
  override readonly name = 'RuntimeCommandError';
  readonly reason = 'CommandFailed';
  readonly command: string;
  readonly exitCode: number | null;
  constructor(command: string, exitCode: number | null, message: string) {
    super(`${command} failed (exit ${exitCode ?? 'none'}): ${message}`);
    this.command = command;
    this.exitCode = exitCode;
  }
}

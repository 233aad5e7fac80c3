// The repeats this process is driving right now, so Stop can reach the one it names: Stop aborts its signal, and
// the scheduler then composes none of its jobs into another request.

export interface RunningRepeats {
  /** A signal that Stop aborts; called by the runner when it starts sending a repeat. */
  started(repeatId: number): AbortSignal;
  finished(repeatId: number): void;
  /** Stops the repeat if this process drives it; false when it is not running here. */
  stop(repeatId: number): boolean;
}

export function createRunningRepeats(): RunningRepeats {
  const running = new Map<number, AbortController>();
  return {
    started(repeatId) {
      const controller = new AbortController();
      running.set(repeatId, controller);
      return controller.signal;
    },
    finished(repeatId) {
      running.delete(repeatId);
    },
    stop(repeatId) {
      const controller = running.get(repeatId);
      controller?.abort();
      return controller !== undefined;
    },
  };
}

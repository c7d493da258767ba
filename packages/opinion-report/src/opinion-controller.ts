import type { ReactiveControllerHost } from 'lit';
import type { OpinionChange, SecondOpinion, SecondOpinionModel } from '@secondread/core';

/**
 * Holds the element's {@link SecondOpinionModel} and subscribes to it: every change of the model
 * re-renders the host and is passed on (`changed`), so the element reads the opinion from the
 * model and keeps no copy of it. Adopting another model (a restored draft, one the host loaded,
 * another study) drops the old subscription.
 */
export class OpinionController {
  private current: SecondOpinionModel | null = null;
  private unsubscribe: (() => void) | null = null;
  private readonly host: ReactiveControllerHost;
  private readonly changed: (opinion: SecondOpinion, change: OpinionChange) => void;

  constructor(host: ReactiveControllerHost, changed: (opinion: SecondOpinion, change: OpinionChange) => void) {
    this.host = host;
    this.changed = changed;
  }

  /** The model, or null before the study is known. */
  get model(): SecondOpinionModel | null {
    return this.current;
  }

  /** The model's current (frozen) opinion, or null. */
  get opinion(): SecondOpinion | null {
    return this.current?.opinion ?? null;
  }

  /** Follows another model from now on. */
  adopt(model: SecondOpinionModel): void {
    this.unsubscribe?.();
    this.current = model;
    this.unsubscribe = model.subscribe((opinion, change) => {
      this.host.requestUpdate();
      this.changed(opinion, change);
    });
    this.host.requestUpdate();
  }

  /** Lets go of the model (another study follows). */
  reset(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.current = null;
    this.host.requestUpdate();
  }
}

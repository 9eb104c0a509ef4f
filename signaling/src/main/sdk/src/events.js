/**
 * A small typed event emitter: `Events` maps each event name to its payload type, so
 * `on('participant-joined', (p) => ...)` knows what `p` is.
 *
 * A listener that throws does not stop the others; its exception is reported as an
 * `error` event (when the map has one) with code `listener`.
 *
 * @template {Record<string, any>} Events
 */
export class Emitter {
  /** @type {Map<keyof Events, Set<(payload: any) => void>>} */
  #listeners = new Map();

  /**
   * @template {keyof Events} K
   * @param {K} name
   * @param {(payload: Events[K]) => void} listener
   * @returns {() => void} removes the listener again
   */
  on(name, listener) {
    let set = this.#listeners.get(name);
    if (!set) {
      set = new Set();
      this.#listeners.set(name, set);
    }
    set.add(listener);
    return () => this.off(name, listener);
  }

  /**
   * @template {keyof Events} K
   * @param {K} name
   * @param {(payload: Events[K]) => void} listener
   */
  off(name, listener) {
    this.#listeners.get(name)?.delete(listener);
  }

  /**
   * @template {keyof Events} K
   * @param {K} name
   * @param {(payload: Events[K]) => void} listener
   * @returns {() => void} removes the listener before it ran
   */
  once(name, listener) {
    /** @param {Events[K]} payload */
    const wrapper = (payload) => {
      this.off(name, wrapper);
      listener(payload);
    };
    return this.on(name, wrapper);
  }

  /**
   * @template {keyof Events} K
   * @param {K} name
   * @param {Events[K]} payload
   */
  emit(name, payload) {
    const set = this.#listeners.get(name);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(payload);
      } catch (err) {
        if (name === 'error') throw err;
        this.emit(/** @type {K} */ ('error'), /** @type {Events[K]} */ ({
          code: 'listener',
          message: `a '${String(name)}' listener threw: ${err instanceof Error ? err.message : String(err)}`,
        }));
      }
    }
  }
}

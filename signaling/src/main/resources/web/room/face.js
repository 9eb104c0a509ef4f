// The "Face overlay" button's hook. Left empty on purpose: the overlay itself is another
// piece of work; the button, its aria-pressed state and this call are already in place.

/** @param {boolean} on */
export function setFaceOverlay(on) {
  void on;
}

// Grid and speaker layouts. The speaker layout features one tile large: a shared screen
// when there is one, else the active speaker, else the first remote tile; the others
// line up beside it. Which tile is featured follows the grid's changes by itself.

/**
 * @param {HTMLElement} grid
 * @param {HTMLButtonElement} button toggles; aria-pressed says whether speaker view is on
 */
export function setupLayout(grid, button) {
  const feature = () => {
    const speaker = grid.dataset.layout === 'speaker';
    const tiles = [...grid.querySelectorAll('.tile')];
    const chosen = speaker
      ? (grid.querySelector('.tile.remote.screen') ?? grid.querySelector('.tile.screen')
        ?? grid.querySelector('.tile.remote[data-active-speaker="true"]') ?? grid.querySelector('.tile.remote')
        ?? grid.querySelector('.tile'))
      : null;
    for (const tile of tiles) {
      const want = tile === chosen;
      if (want !== tile.hasAttribute('data-featured')) tile.toggleAttribute('data-featured', want);
    }
  };
  const set = (/** @type {boolean} */ speaker) => {
    grid.dataset.layout = speaker ? 'speaker' : 'grid';
    button.setAttribute('aria-pressed', String(speaker));
    feature();
  };
  button.addEventListener('click', () => set(grid.dataset.layout !== 'speaker'));
  new MutationObserver(feature).observe(grid, {
    childList: true, subtree: true, attributes: true, attributeFilter: ['data-active-speaker'],
  });
  set(false);
}

// Chat over the SDK's data channel "chat": plain text to the whole room, shown as
// "NAME: TEXT" in the Chat log. Enter sends (the form's own submit).

import { log } from './hook.js';

const MAX_MESSAGES = 500;
const MAX_CHARS = 2000;

/**
 * @param {import('/sdk/atrium-client.js').AtriumClient} client
 * @param {{ form: HTMLFormElement, input: HTMLInputElement, send: HTMLButtonElement, list: HTMLElement }} ui
 * @param {() => string} myName
 */
export function setupChat(client, ui, myName) {
  const channel = client.openDataChannel('chat');

  /**
   * @param {string} name
   * @param {string} text
   * @param {boolean} mine
   */
  const show = (name, text, mine) => {
    const item = document.createElement('li');
    if (mine) item.className = 'mine';
    item.textContent = `${name}: ${text}`;
    ui.list.append(item);
    while (ui.list.childElementCount > MAX_MESSAGES) ui.list.firstElementChild?.remove();
    ui.list.scrollTop = ui.list.scrollHeight;
  };

  client.on('data', (message) => {
    if (message.label !== 'chat' || message.text === null) return;
    const name = client.participants.get(message.from)?.name || message.from;
    show(name, message.text.slice(0, MAX_CHARS), false);
  });

  const refresh = () => {
    ui.send.disabled = !channel.open;
    ui.input.placeholder = channel.open ? 'Say something to the room' : 'Chat connects when you are in the room';
  };
  for (const event of /** @type {const} */ (['channel-open', 'channel-close'])) {
    client.on(event, ({ label }) => {
      if (label === 'chat') refresh();
    });
  }
  refresh();

  ui.form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = ui.input.value.trim().slice(0, MAX_CHARS);
    if (!text) return;
    try {
      channel.send(text);
    } catch (err) {
      log(`chat not sent: ${err instanceof Error ? err.message : String(err)}`);
      refresh();
      return;
    }
    show(myName(), text, true);
    ui.input.value = '';
    ui.input.focus();
  });
}

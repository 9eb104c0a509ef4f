// Landing page: turns the form into /room/NAME?name=DISPLAY and goes there.

const ROOM_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
const NAME_KEY = 'atrium.displayName';

const form = document.getElementById('join-form');
const roomInput = document.getElementById('room');
const nameInput = document.getElementById('name');
const formError = document.getElementById('form-error');

// Remember the display name between visits: people rarely change it.
try {
  nameInput.value = localStorage.getItem(NAME_KEY) ?? '';
} catch {
  // Storage can be disabled (private mode); the form still works.
}

// Offer a fresh room name so one click is enough to start a call.
if (!roomInput.value) {
  roomInput.value = `room-${Math.floor(1000 + Math.random() * 9000)}`;
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const room = roomInput.value.trim();
  const name = nameInput.value.trim();
  if (!ROOM_PATTERN.test(room)) {
    formError.textContent =
      'The room name must be 1 to 64 letters, digits, "_", "-" or ".", without spaces.';
    roomInput.setAttribute('aria-invalid', 'true');
    roomInput.focus();
    return;
  }
  roomInput.removeAttribute('aria-invalid');
  formError.textContent = '';
  try {
    localStorage.setItem(NAME_KEY, name);
  } catch {
    // Not remembering the name is harmless.
  }
  const query = name ? `?name=${encodeURIComponent(name)}` : '';
  location.assign(`/room/${encodeURIComponent(room)}${query}`);
});

// Compiled from src/core/events.ts by `npm run build`: edit the source, not this file.

// src/core/events.ts
var EventBuffer = class {
  events = [];
  emit(event) {
    this.events.push(event);
  }
};
export {
  EventBuffer
};

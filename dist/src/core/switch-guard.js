// Compiled from src/core/switch-guard.ts by `npm run build`: edit the source, not this file.

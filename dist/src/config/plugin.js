// Compiled from src/config/plugin.ts by `npm run build`: edit the source, not this file.

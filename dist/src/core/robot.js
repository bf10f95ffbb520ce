// Compiled from src/core/robot.ts by `npm run build`: edit the source, not this file.

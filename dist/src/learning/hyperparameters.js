// Compiled from src/learning/hyperparameters.ts by `npm run build`: edit the source, not this file.

// src/learning/hyperparameters.ts
import { z } from "zod";
var hidden = z.array(z.number().int().positive()).min(1).readonly();
var discount = z.number().gt(0).lte(1);
var polyakRate = z.number().gt(0).lte(1);
var learningRate = z.number().positive();
var batchRows = z.number().int().positive();
var rewardScale = z.number().positive();
export {
  batchRows,
  discount,
  hidden,
  learningRate,
  polyakRate,
  rewardScale
};

// Worker thread body: lists folders posted by ListingPool, ahead of the walk that will need them.
import { parentPort } from 'node:worker_threads';
import { listFolder } from '../articles/folder-listing.js';
import type { ListingReply, ListingRequest } from './listing-pool.js';
import { lowerThisThreadPriority } from './ts-worker.js';

lowerThisThreadPriority(19);

const reply = (message: ListingReply) => parentPort?.postMessage(message);

parentPort?.on('message', ({ id, absolute, folderPath }: ListingRequest) => {
  try {
    reply({ type: 'listed', id, listing: listFolder(absolute, folderPath) });
  } catch (error) {
    reply({ type: 'failed', id, message: error instanceof Error ? error.message : String(error) });
  }
});
reply({ type: 'ready' });

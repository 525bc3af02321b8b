import { ApiHandler } from '../broker/broker-context';
import { apiVersionsApi } from './api-versions.api';
import { createTopicsApi } from './create-topics.api';
import { deleteTopicsApi } from './delete-topics.api';
import { describeGroupsApi } from './describe-groups.api';
import { fetchApi } from './fetch.api';
import { findCoordinatorApi } from './find-coordinator.api';
import { heartbeatApi } from './heartbeat.api';
import { initProducerIdApi } from './init-producer-id.api';
import { joinGroupApi } from './join-group.api';
import { leaveGroupApi } from './leave-group.api';
import { listGroupsApi } from './list-groups.api';
import { listOffsetsApi } from './list-offsets.api';
import { metadataApi } from './metadata.api';
import { offsetCommitApi } from './offset-commit.api';
import { offsetFetchApi } from './offset-fetch.api';
import { produceApi } from './produce.api';
import { syncGroupApi } from './sync-group.api';

/** One handler per served API; protocol/api-versions.ts says which versions. */
export const ALL_API_HANDLERS: readonly ApiHandler[] = [
  produceApi,
  fetchApi,
  listOffsetsApi,
  metadataApi,
  offsetCommitApi,
  offsetFetchApi,
  findCoordinatorApi,
  joinGroupApi,
  heartbeatApi,
  leaveGroupApi,
  syncGroupApi,
  describeGroupsApi,
  listGroupsApi,
  apiVersionsApi,
  createTopicsApi,
  deleteTopicsApi,
  initProducerIdApi,
];

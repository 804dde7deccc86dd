import { DEMO_GRAPH_TOKEN, DEMO_GROUPS } from '../../scripts/demo-tenant.js';
import type { DirectorySettings } from '../../src/directory/config.js';
import { StaticTokenCredential } from '../../src/directory/credentials.js';
import { GraphDirectory } from '../../src/directory/graph.js';
import { DirectorySync } from '../../src/directory/sync.js';
import type { Clock } from '../../src/services/clock.js';
import type { Store } from '../../src/store/index.js';

/** The sync's settings for the demo tenant: roles from its groups, no app roles, 25 leavers at most. */
export const DEMO_SYNC_SETTINGS: Pick<DirectorySettings, 'roleGroups' | 'appRolesAppId' | 'maxLeavers'> = {
  roleGroups: {
    case_worker: [DEMO_GROUPS.caseWorkers],
    records_management: [DEMO_GROUPS.recordsManagement],
  },
  appRolesAppId: null,
  maxLeavers: 25,
};

/** A sync of `store` from the fake Graph at `graphUrl`, signed in with the demo tenant's token by default. */
export function demoSync(
  store: Store,
  graphUrl: string,
  clock: Clock,
  options: {
    token?: string;
    maxRetries?: number;
    settings?: Pick<DirectorySettings, 'roleGroups' | 'appRolesAppId' | 'maxLeavers'>;
  } = {},
): DirectorySync {
  return new DirectorySync(
    store,
    new GraphDirectory(new StaticTokenCredential(options.token ?? DEMO_GRAPH_TOKEN), {
      baseUrl: graphUrl,
      maxRetries: options.maxRetries,
    }),
    clock,
    options.settings ?? DEMO_SYNC_SETTINGS,
  );
}

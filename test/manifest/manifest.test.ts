import { readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { COMMANDS, understand } from '../../src/understanding/index.js';
import {
  MANIFEST_DIR,
  MAX_COMMANDS_PER_LIST,
  SHARED_CHAT_COMMANDS,
  TEMPLATE_FILE,
  buildManifest,
  ruleProblems,
  schemaFile,
  schemaProblems,
  type TeamsManifest,
} from '../../src/manifest/index.js';
import { GOOD_ENV, goodSettings, template } from './helpers.js';

const built = (): TeamsManifest => buildManifest(template(), goodSettings());

/** The newest Teams manifest schema version @microsoft/app-manifest ships. */
function newestBundledVersion(): string {
  const dir = dirname(dirname(schemaFile('1.0')));
  const versions = readdirSync(dir)
    .map((name) => /^v(\d+)\.(\d+)$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [Number(m[1]), Number(m[2])] as const)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const newest = versions.at(-1);
  if (!newest) throw new Error(`no schemas in ${dir}`);
  return `${newest[0]}.${newest[1]}`;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the manifest template', () => {
  it('uses the newest schema version @microsoft/app-manifest ships, with its $schema URL', () => {
    const version = newestBundledVersion();
    const t = template() as TeamsManifest;
    expect(t.manifestVersion).toBe(version);
    expect(t.$schema).toBe(
      `https://developer.microsoft.com/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`,
    );
  });

  it('holds placeholders, not real ids', () => {
    const text = readFileSync(`${MANIFEST_DIR}${TEMPLATE_FILE}`, 'utf8');
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
    for (const name of ['TEAMS_APP_ID', 'BOT_ID', 'TAB_DOMAIN', 'AAD_APP_ID', 'TAB_APP_ID_URI']) {
      expect(text).toContain(`\${{${name}}}`);
    }
    // The command lists come from the bot's COMMANDS, never retyped in the template.
    expect(text).not.toContain('commandLists');
  });
});

describe('the built manifest', () => {
  it('validates against the official schema and the Teams rules', () => {
    const manifest = built();
    expect(schemaProblems(manifest)).toEqual([]);
    expect(ruleProblems(manifest)).toEqual([]);
  });

  it("also passes @microsoft/app-manifest's own validator, without the network", async () => {
    const fetch = vi.fn(() => {
      throw new Error('no network in this test');
    });
    vi.stubGlobal('fetch', fetch);
    // It finds the schema named by $schema among its bundled files (and would fetch it otherwise).
    await expect(AppManifestUtils.validateAgainstSchema(built() as never)).resolves.toEqual([]);
    const bad = { ...built(), accentColor: 'teal' };
    await expect(AppManifestUtils.validateAgainstSchema(bad as never)).resolves.toHaveLength(1);
    expect(fetch).not.toHaveBeenCalled();
  });

  it('has the settings filled in: ids, tab, valid domains and tab SSO', () => {
    const m = built();
    const s = goodSettings();
    expect(m.id).toBe(GOOD_ENV.TEAMS_APP_ID);
    expect(m.version).toBe('1.2.3');
    expect(m.bots?.[0]?.botId).toBe(GOOD_ENV.MicrosoftAppId);
    expect(m.validDomains).toEqual(['records.council.example']);
    expect(m.webApplicationInfo).toEqual({
      id: GOOD_ENV.MicrosoftAppId,
      resource: `api://records.council.example/${GOOD_ENV.MicrosoftAppId}`,
    });
    expect(m.permissions).toEqual(['identity', 'messageTeamMembers']);
    expect(m.developer).toEqual({
      name: s.developer.name,
      websiteUrl: 'https://records.council.example/',
      privacyUrl: 'https://records.council.example/privacy',
      termsOfUseUrl: 'https://records.council.example/terms',
    });
    expect(JSON.stringify(m)).not.toContain('${{');
  });

  it('has the bot in personal, team and group chat, and no file support', () => {
    const bot = built().bots?.[0];
    expect(built().bots).toHaveLength(1);
    expect(bot?.scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(bot?.supportsFiles).toBe(false);
  });

  it('has the personal Records tab and the bot conversation tab', () => {
    const tabs = built().staticTabs ?? [];
    expect(tabs.map((t) => t.entityId)).toEqual(['conversations', 'records', 'about']);
    expect(tabs.find((t) => t.entityId === 'records')).toMatchObject({
      name: 'Records',
      contentUrl: 'https://records.council.example/tab/index.html',
      scopes: ['personal'],
    });
  });

  it('uses a separate Entra app and Application ID URI for SSO when given', () => {
    const aad = '0b5e1c7d-3a9f-4e2b-8c6d-1f0e9d8c7b6a';
    const m = buildManifest(
      template(),
      goodSettings({ ...GOOD_ENV, AAD_APP_ID: aad, TAB_APP_ID_URI: `api://records.council.example/${aad}` }),
    );
    expect(m.webApplicationInfo).toEqual({ id: aad, resource: `api://records.council.example/${aad}` });
    expect(m.bots?.[0]?.botId).toBe(GOOD_ENV.MicrosoftAppId);
    expect(schemaProblems(m)).toEqual([]);
    expect(ruleProblems(m)).toEqual([]);
  });
});

describe('command lists', () => {
  it('offer every command the bot has in the personal chat, in order, and the shared ones elsewhere', () => {
    const lists = built().bots?.[0]?.commandLists ?? [];
    expect(lists.map((l) => l.scopes)).toEqual([['personal'], ['team'], ['groupChat']]);
    const [personal, team, groupChat] = lists;
    expect(personal?.commands).toEqual(
      COMMANDS.map((c) => ({ title: c.command, description: c.description })),
    );
    const shared = COMMANDS.filter((c) => (SHARED_CHAT_COMMANDS as readonly string[]).includes(c.command));
    expect(shared.map((c) => c.command)).toEqual([...SHARED_CHAT_COMMANDS]);
    for (const list of [team, groupChat]) {
      expect(list?.commands).toEqual(shared.map((c) => ({ title: c.command, description: c.description })));
    }
    for (const list of lists) expect(list.commands?.length).toBeLessThanOrEqual(MAX_COMMANDS_PER_LIST);
  });

  describe('are understood by the bot', () => {
    it('each title, as typed in a chat or sent with an @mention of the bot, is the declared command', () => {
      const lists = built().bots?.[0]?.commandLists ?? [];
      const checked: string[] = [];
      for (const list of lists) {
        for (const { title = '' } of list.commands ?? []) {
          const declared = COMMANDS.find((c) => c.command === title);
          expect(declared, `"${title}" is not one of COMMANDS`).toBeDefined();
          const forms = list.scopes?.includes('personal')
            ? [title]
            : [title, `<at>Case Records</at> ${title}`];
          for (const text of forms) {
            // Whoever types it: a case worker as well as a manager or an officer.
            for (const roles of [['case_worker'], ['line_manager'], ['records_management']] as const) {
              const got = understand(text, { today: '2026-11-26', roles });
              expect({ text, intent: got.reading.intent, unsure: got.unsure }).toEqual({
                text,
                intent: declared?.intent,
                unsure: false,
              });
            }
            checked.push(text);
          }
        }
      }
      expect(checked.length).toBe(COMMANDS.length + 2 * 2 * SHARED_CHAT_COMMANDS.length);
    });
  });
});

describe('validation refuses', () => {
  it('a command list with 11 commands', () => {
    const eleven = [
      ...COMMANDS,
      { command: 'recall', intent: 'removal.cancel', description: 'Cancel an authorisation' },
    ] as const;
    const m = buildManifest(template(), goodSettings(), eleven);
    expect(m.bots?.[0]?.commandLists?.[0]?.commands).toHaveLength(11);
    expect(ruleProblems(m)).toEqual([
      `/bots/0/commandLists/0/commands: has 11 commands; Teams shows at most ${MAX_COMMANDS_PER_LIST}`,
    ]);
  });

  it('more commands than the schema allows', () => {
    const many = Array.from({ length: 13 }, (_, i) => ({
      command: `command ${i}`,
      intent: 'help' as const,
      description: 'x',
    }));
    const m = buildManifest(template(), goodSettings(), many);
    expect(schemaProblems(m).join('\n')).toContain('/bots/0/commandLists/0/commands');
  });

  it('a field the schema does not know', () => {
    const m = { ...built(), favouriteColour: 'teal' };
    expect(schemaProblems(m)).toEqual(['(top level): unknown field "favouriteColour"']);
    const tabs = built().staticTabs ?? [];
    const withBadTab = {
      ...built(),
      staticTabs: [...tabs, { entityId: 'x', scopes: ['personal'], colour: 1 }],
    };
    expect(schemaProblems(withBadTab)).toEqual(['/staticTabs/3: unknown field "colour"']);
  });

  it('a value the schema does not allow', () => {
    expect(schemaProblems({ ...built(), accentColor: 'teal' })).toEqual([
      '/accentColor: must match pattern "^#[0-9a-fA-F]{6}$"',
    ]);
    expect(schemaProblems({ ...built(), id: 'my-app' })[0]).toMatch(/^\/id: must match pattern/);
  });

  it('a $schema that does not match manifestVersion, or is not bundled', () => {
    expect(schemaProblems({ ...built(), manifestVersion: '1.24' })[0]).toMatch(
      /manifestVersion: must be "1\.\d+"/,
    );
    expect(schemaProblems({ ...built(), $schema: 'https://example.com/schema.json' })[0]).toMatch(
      /^\/\$schema/,
    );
  });

  it('placeholders left unfilled, http addresses, tabs and SSO outside validDomains, duplicates', () => {
    const m = built();
    const bad: TeamsManifest = {
      ...m,
      version: '1.0',
      developer: { ...m.developer, privacyUrl: 'http://records.council.example/privacy', name: '${{OWNER}}' },
      validDomains: ['other.example'],
      staticTabs: [...(m.staticTabs ?? []), { entityId: 'records', scopes: ['personal'] }],
      webApplicationInfo: {
        id: GOOD_ENV.MicrosoftAppId,
        resource: 'api://records.council.example/0b5e1c7d-3a9f-4e2b-8c6d-1f0e9d8c7b6a',
      },
    };
    expect(ruleProblems(bad)).toEqual([
      '/developer/name: placeholder ${{OWNER}} was not filled',
      '/version: must be MAJOR.MINOR.PATCH (e.g. 1.0.0), not "1.0"',
      '/developer/privacyUrl: must be an https:// address',
      '/staticTabs: entityId "records" is used twice',
      '/staticTabs/1/contentUrl: its domain records.council.example is not in validDomains',
      '/staticTabs/1/websiteUrl: its domain records.council.example is not in validDomains',
      '/webApplicationInfo/resource: its domain records.council.example is not in validDomains',
      '/webApplicationInfo/resource: names a different app id than /webApplicationInfo/id',
    ]);
  });

  it('anything at all without throwing', () => {
    const garbage: unknown[] = [
      null,
      [],
      'manifest',
      { bots: [null, 'bot', { scopes: 'personal', commandLists: [null, { commands: [1, { title: 2 }] }] }] },
      {
        staticTabs: [null, { entityId: 3, contentUrl: 4 }],
        validDomains: [5],
        webApplicationInfo: { resource: 6 },
      },
      { webApplicationInfo: { id: 7, resource: 'api://x/0b5e1c7d-3a9f-4e2b-8c6d-1f0e9d8c7b6a' } },
    ];
    for (const value of garbage) {
      expect(() => schemaProblems(value)).not.toThrow();
      expect(() => ruleProblems(value)).not.toThrow();
    }
    expect(schemaProblems(null)).toEqual(['the manifest is not a JSON object']);
  });

  it('a wildcard valid domain covers one level of sub-domain', () => {
    const m = { ...built(), validDomains: ['*.council.example'] };
    expect(ruleProblems(m)).toEqual([]);
    expect(ruleProblems({ ...built(), validDomains: ['*.example'] })).toContain(
      '/staticTabs/1/contentUrl: its domain records.council.example is not in validDomains',
    );
  });
});

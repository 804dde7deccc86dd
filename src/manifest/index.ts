/** The Teams app manifest and app package: build, validate, write. Build-time only; the bot never loads it. */
export {
  SHARED_CHAT_COMMANDS,
  buildManifest,
  commandLists,
  fillPlaceholders,
  placeholderValues,
  type BotScope,
  type CommandList,
  type ManifestCommand,
  type TeamsManifest,
} from './build-manifest.js';
export {
  DEFAULT_DEVELOPER_NAME,
  PACKAGE_VARIABLES,
  hostNameProblem,
  readPackageSettings,
  type PackageSettings,
  type SettingsResult,
} from './settings.js';
export {
  COLOR_ICON_FILE,
  COLOR_ICON_SIZE,
  MANIFEST_FILE,
  MAX_COMMANDS_PER_LIST,
  OUTLINE_ICON_FILE,
  OUTLINE_ICON_SIZE,
  domainCovers,
  iconProblems,
  ruleProblems,
  schemaFile,
  schemaProblems,
  validatePackage,
  type PackageContents,
} from './validate-manifest.js';
export {
  MANIFEST_DIR,
  TEMPLATE_FILE,
  createAppPackage,
  writeZip,
  type AppPackageOptions,
  type AppPackageResult,
  type ZipEntry,
} from './write-package.js';

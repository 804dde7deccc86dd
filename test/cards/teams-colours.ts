// The colours Microsoft Teams draws Adaptive Cards in: its host configuration for the light and
// dark themes, as published with the Adaptive Cards designer (samples/HostConfig/
// microsoft-teams-light.json and microsoft-teams-dark.json in the microsoft/AdaptiveCards
// repository). Colours are written as there: #AARRGGBB, or #RRGGBB when opaque.
//
// Teams' high-contrast theme has no published host configuration: Teams draws cards there in its
// own high-contrast palette, whatever colour names a card uses.

export const CONTAINER_STYLES = ['default', 'emphasis', 'accent', 'good', 'attention', 'warning'] as const;
export type ContainerStyle = (typeof CONTAINER_STYLES)[number];

export const TEXT_COLOURS = ['default', 'dark', 'light', 'accent', 'good', 'warning', 'attention'] as const;
export type TextColour = (typeof TEXT_COLOURS)[number];

type Palette = Record<TextColour, { default: string; subtle: string }>;

export interface HostTheme {
  name: string;
  containers: Record<ContainerStyle, { background: string; foreground: Palette }>;
  /** The style of the card an Action.ShowCard opens. */
  showCardStyle: ContainerStyle;
}

const LIGHT_TEXT: Palette = {
  default: { default: '#ff252424', subtle: '#bf252424' },
  dark: { default: '#252424', subtle: '#bf252424' },
  light: { default: '#ffffff', subtle: '#fff3f2f1' },
  accent: { default: '#6264a7', subtle: '#8b8cc7' },
  good: { default: '#92c353', subtle: '#e592c353' },
  warning: { default: '#f8d22a', subtle: '#e5f8d22a' },
  attention: { default: '#c4314b', subtle: '#e5c4314b' },
};

/** Dark theme, on the default and emphasis backgrounds (dark grey). */
const DARK_TEXT: Palette = {
  default: { default: '#ffffffff', subtle: '#bfffffff' },
  dark: { default: '#ff201f1f', subtle: '#ff2d2c2c' },
  light: { default: '#ffffffff', subtle: '#bfffffff' },
  accent: { default: '#ffa6a7dc', subtle: '#ff8b8cc7' },
  good: { default: '#ff92c353', subtle: '#e592c353' },
  warning: { default: '#fff8d22a', subtle: '#e5f8d22a' },
  attention: { default: '#ffd74654', subtle: '#e5d74654' },
};

/** Dark theme, on the coloured container backgrounds (which stay light): dark default text. */
const DARK_ON_COLOUR: Palette = {
  ...DARK_TEXT,
  default: { default: '#ff201f1f', subtle: '#ff2d2c2c' },
};

export const TEAMS_THEMES: readonly HostTheme[] = [
  {
    name: 'light',
    showCardStyle: 'emphasis',
    containers: {
      default: { background: '#ffffff', foreground: LIGHT_TEXT },
      emphasis: { background: '#fff9f8f7', foreground: LIGHT_TEXT },
      accent: { background: '#C7DEF9', foreground: LIGHT_TEXT },
      good: { background: '#CCFFCC', foreground: LIGHT_TEXT },
      attention: { background: '#FFC5B2', foreground: LIGHT_TEXT },
      warning: { background: '#FFE2B2', foreground: LIGHT_TEXT },
    },
  },
  {
    name: 'dark',
    showCardStyle: 'emphasis',
    containers: {
      default: { background: '#ff2d2c2c', foreground: DARK_TEXT },
      emphasis: { background: '#ff292828', foreground: DARK_TEXT },
      accent: { background: '#C7DEF9', foreground: DARK_ON_COLOUR },
      good: { background: '#CCFFCC', foreground: DARK_ON_COLOUR },
      attention: { background: '#FFC5B2', foreground: DARK_ON_COLOUR },
      warning: { background: '#FFE2B2', foreground: DARK_ON_COLOUR },
    },
  },
];

/** Teams' font sizes in pixels (the same in both themes). */
export const FONT_SIZES = { small: 12, default: 14, medium: 14, large: 18, extralarge: 24 } as const;

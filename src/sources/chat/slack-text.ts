const SPECIAL_MENTIONS: Record<string, string> = {
  '!here': '@here',
  '!channel': '@channel',
  '!everyone': '@everyone',
};

/**
 * Slack's stored markup as readable text: `<@U123>` becomes "@Name" (names resolved through
 * users.json, since the ids mean nothing to a reader or a search), `<#C1|general>` "#general",
 * `<https://x|label>` "label (https://x)"; the three escaped characters are unescaped.
 */
export function slackText(text: string, userName: (id: string) => string): string {
  return text
    .replace(/<([^<>]*)>/g, (_, inner: string) => {
      const bar = inner.indexOf('|');
      const target = bar === -1 ? inner : inner.slice(0, bar);
      const label = bar === -1 ? undefined : inner.slice(bar + 1);
      if (target.startsWith('@')) return `@${userName(target.slice(1))}`;
      if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
      if (target.startsWith('!')) return SPECIAL_MENTIONS[target] ?? label ?? '';
      if (target.startsWith('mailto:')) return label ?? target.slice('mailto:'.length);
      return label && label !== target ? `${label} (${target})` : target;
    })
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

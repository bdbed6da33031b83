import { ProviderDownError, type ChannelAdapter, type SendResult } from './adapter.js';

/**
 * Two providers of one channel in order (issue 6 point 3): the first carries the traffic; when it is
 * down or refuses the account (out of credit …) the next takes the batch, and the first is left alone
 * for `restMs`, then tried again — so traffic goes back to it once it recovers. Each message keeps the
 * provider that took it; its reports are asked of that provider. Only when every provider fails does
 * the channel stop (the dispatcher pauses it). A first provider that took a batch and then went dark
 * before answering cannot be told from one that never took it: that batch may go out twice, once
 * through each — the price of not losing it.
 */
export function failoverAdapter(
  chain: readonly ChannelAdapter[],
  options: {
    /** told of each provider found down or refusing, e.g. to alert the administrators */
    onDown?: (err: ProviderDownError) => Promise<void>;
    restMs?: number;
    now?: () => number;
  } = {},
): ChannelAdapter {
  const restMs = options.restMs ?? 60_000;
  const now = options.now ?? Date.now;
  const restingUntil = new Map<string, number>();
  return {
    provider: chain[0]!.provider,
    maxBatch: Math.min(...chain.map((a) => a.maxBatch)),
    perSecond: Math.min(...chain.map((a) => a.perSecond)),
    async send(messages) {
      const awake = chain.filter((a) => (restingUntil.get(a.provider) ?? 0) <= now());
      // all resting: the first is tried anyway (a pause of the channel already spaced the tries)
      const order = awake.length > 0 ? awake : chain.slice(0, 1);
      let last: ProviderDownError | undefined;
      for (const adapter of order) {
        try {
          // the lines of the settings (advertising, service) are the first provider's numbers; a later
          // one sends from its own account's line
          const results = await adapter.send(
            adapter === chain[0] ? messages : messages.map((m) => ({ ...m, sender: '' })),
          );
          restingUntil.delete(adapter.provider);
          return results.map((r): SendResult =>
            r.outcome === 'accepted' ? { ...r, provider: adapter.provider } : r,
          );
        } catch (err) {
          if (!(err instanceof ProviderDownError)) throw err;
          last = err;
          restingUntil.set(adapter.provider, now() + restMs);
          await options.onDown?.(err);
        }
      }
      throw last!;
    },
    status(providerIds, provider) {
      const adapter = chain.find((a) => a.provider === provider) ?? chain[0]!;
      return adapter.status(providerIds, provider);
    },
  };
}

/**
 * The help page's topics. Each topic is answered by "was this helpful?" separately, so the ids
 * are stored with the feedback: rename a title freely, never an id.
 *
 * The text describes the rules implemented in @bgr/credits (prices, draw-down, rollover, expiry);
 * if those rules change, this text must change with them. `{holdMinutes}` is filled in from the
 * configured hold timeout (HOLD_TIMEOUT_MIN).
 */
export type HelpTopic = {
  id: string;
  title: string;
  paragraphs: string[];
  /** Optional table: [what, cost]. */
  prices?: [string, string][];
};

export const HELP_TOPICS: HelpTopic[] = [
  {
    id: 'credits',
    title: 'What a credit buys',
    paragraphs: [
      'Everything is priced in credits. Balances are shown in steps of ¼ credit because an API preview costs a quarter of a credit.',
      'A preview in the web app is always free: upload as many photos as you like and look at the cut-out before you decide. Downloading the full-resolution result costs 1 credit, charged once per image — downloading the same image again is free.',
      'Requests that fail cost nothing. While an HD download or an API call is being processed its credits are held; if it fails the hold is released, and a hold that is never finished (say, the connection dropped) is released automatically after {holdMinutes} minutes.',
    ],
    prices: [
      ['Web preview (up to 0.25 megapixels)', 'Free'],
      ['Web HD download (full resolution)', '1 credit, once per image'],
      ['API: size=preview, small or regular', '¼ credit'],
      ['API: size=full, hd, medium, 4k or 50MP', '1 credit'],
      ['API: size=auto', '¼ credit if the result is at most 0.25 MP, otherwise 1 credit'],
      ['Any request that fails', 'Free'],
    ],
  },
  {
    id: 'subscription',
    title: 'Subscriptions and rollover',
    paragraphs: [
      'A subscription adds its monthly budget at the start of every period. Periods renew on the day of the month the plan started; in shorter months they renew on the last day of the month (a plan started on the 31st renews on 30 April, 31 May, 30 June …).',
      'Credits you do not use are not lost at renewal: the unused subscription and rollover credits carry over to the next period, up to 5 × the monthly budget. Anything above that cap is dropped at renewal. With a 100-credit plan you can therefore hold at most 500 carried credits plus the new 100.',
      'When you spend, subscription and rollover credits are always used first. After that, other credits are used in order of the soonest expiry, credits that never expire last.',
    ],
  },
  {
    id: 'plan-change',
    title: 'Changing or cancelling a plan',
    paragraphs: [
      'Changing the plan starts a new period straight away. Your unused subscription and rollover credits carry over, capped at 5 × the new monthly budget, and the new budget is added at once. From then on the plan renews on the day of the month you changed it.',
      'Cancelling keeps your subscription and rollover credits until the end of the current period; after that they are gone. Pay-as-you-go and promotional credits are not affected by cancelling.',
    ],
  },
  {
    id: 'payg',
    title: 'Pay-as-you-go and promotional credits',
    paragraphs: [
      'Pay-as-you-go credits expire exactly two calendar years after the moment they were bought: credits bought on 15 September 2027 at 10:00 UTC can be used until 15 September 2029 at 10:00 UTC. Credits bought on 29 February expire on 28 February two years later.',
      'Promotional credits are granted by an administrator, who chooses when they expire (some never do).',
      'Your dashboard shows each kind of credit separately and which credits expire next.',
    ],
  },
  {
    id: 'api',
    title: 'Using the API',
    paragraphs: [
      'The API speaks the remove.bg protocol, so existing remove.bg clients and libraries work once you point them at this server. Create a key on the API keys page; it is shown only once, so copy it somewhere safe. Send it in the X-Api-Key header.',
      'Each response tells you what it cost in the X-Credits-Charged header. API calls appear in your usage history marked "API".',
    ],
  },
];

/** The page API of the Shoppable loader (`www/shoppable.js`). */
export interface ShoppableConfig {
  /** Backend base URL (the `data-api` attribute); `null` on static-only pages. */
  api: string | null;
  /** BCP 47 locale (the `data-locale` attribute); the page's language when `null`. */
  locale: string | null;
  /** `symbol` (default), `code`, `name` or `narrowSymbol` (the `data-currency-display` attribute). */
  currencyDisplay: string | null;
  /** Request time-out in milliseconds (the `data-timeout` attribute); 10 000 when `null`. */
  timeout: number | null;
  /** `"off"`: no insight events for the shop (the `data-analytics` attribute). */
  analytics: string | null;
}

/** Elements to act on: none for every marked element, a CSS selector, an element or a list. */
export type ShoppableTarget = undefined | string | Element | ArrayLike<Element>;

export interface ShoppableApi {
  /** The widget's version (the crate's, as in the package and the CDN path `shoppable@X.Y.Z`). */
  readonly version: string;
  readonly config: Readonly<ShoppableConfig>;
  /** Resolves once the widget's module has loaded (the first mount or checkout loads it). */
  readonly ready: Promise<void>;
  /**
   * Sets configuration without the script tag's `data-*` attributes, e.g. in a single-page
   * app: `Shoppable.configure({ api: "https://shop.example/api", locale: "fr" })`. Call it
   * before mounting: widgets already mounted keep the configuration they had.
   */
  configure(options: Partial<ShoppableConfig>): void;
  /** Listens to a widget event on `document` (they bubble there); returns the function that stops listening. */
  on<K extends keyof ShoppableAllEvents>(type: K, listener: (event: ShoppableAllEvents[K]) => void): () => void;
  /** Mounts or re-mounts widgets now; resolves to the number of widgets mounted. */
  mount(target?: ShoppableTarget): Promise<number>;
  /** Removes widgets, leaving the images as they were. */
  unmount(target?: ShoppableTarget): Promise<void>;
  /** Opens the checkout sheet (loading it if needed) at a step; steps whose state is not there yet fall back to an earlier one. */
  openCheckout(step?: ShoppableStep, opener?: HTMLElement | null): Promise<void>;
  /** @internal Called by the widget's panic hook: the loader replaces the failed instance. */
  crashed(): void;
}

/** The checkout's steps, as in `openCheckout` and the `data-step` attribute of the open `<shoppable-checkout>`. */
export type ShoppableStep = "bag" | "details" | "shipping" | "payment" | "review" | "confirmation" | "orders" | "order-status";

/** Analytics events dispatched on the image (they bubble and cross shadow roots). */
export interface ShoppableEventMap {
  "shoppable:tags-shown": CustomEvent<{ postId: string; productIds: string[] }>;
  "shoppable:tag-opened": CustomEvent<{ postId: string; productId: string }>;
  "shoppable:added-to-bag": CustomEvent<{ productId: string; variantId: string; quantity: number }>;
  "shoppable:checkout-started": CustomEvent<{ productId: string; variantId: string; quantity: number }>;
  /** On the `<shoppable-checkout>` element. */
  "shoppable:payment-submitted": CustomEvent<{ provider: string; brand: string }>;
  /** On the `<shoppable-checkout>` element. */
  "shoppable:order-placed": CustomEvent<{ orderId: string; number: string; total: { amount: number; currency: string } }>;
}

/** Dispatched on `document` when the widget failed and the loader started a fresh instance (`stopped`: it failed too often and stays off). */
export interface ShoppableDocumentEventMap {
  "shoppable:restarted": CustomEvent<{ stopped: boolean }>;
}

/** Every event `Shoppable.on` can listen to. */
export type ShoppableAllEvents = ShoppableEventMap & ShoppableDocumentEventMap;

declare global {
  interface Window {
    Shoppable: ShoppableApi;
  }
  /** The loader's page API (`window.Shoppable`). */
  var Shoppable: ShoppableApi;
  interface HTMLElementEventMap extends ShoppableEventMap {}
  interface DocumentEventMap extends ShoppableDocumentEventMap {}
}

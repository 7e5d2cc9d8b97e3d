// A single-page app with Shoppable photos: routes by the history API, widgets mounted when a
// view shows a photo and unmounted when it goes, one bag for the whole visit.
import { StrictMode, useEffect, useRef, useState, useSyncExternalStore, type MouseEvent, type ReactNode, type RefObject } from "react";
import { createRoot } from "react-dom/client";
import type {} from "shoppable"; // window.Shoppable
import type {} from "shoppable/react"; // <shoppable-post> in JSX

/** The backend's URL, set at build time (build.mjs --api). */
declare const SHOPPABLE_API: string;

// No data-* attributes on the script tag: the app says where its backend is, before any mount.
Shoppable.configure({ api: SHOPPABLE_API, locale: "fr-FR" });

// The router: the path is the state; links push history entries, the back button pops them.
const NAVIGATED = "app:navigated";
function subscribe(changed: () => void) {
  window.addEventListener("popstate", changed);
  window.addEventListener(NAVIGATED, changed);
  return () => {
    window.removeEventListener("popstate", changed);
    window.removeEventListener(NAVIGATED, changed);
  };
}
const usePath = () => useSyncExternalStore(subscribe, () => location.pathname);

function Link({ to, children }: { to: string; children: ReactNode }) {
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    if (to === location.pathname) return;
    history.pushState(null, "", to);
    window.dispatchEvent(new Event(NAVIGATED));
  };
  return (
    <a href={to} onClick={follow}>
      {children}
    </a>
  );
}

/** Mounts the widget of the element `ref` holds while the component is shown. */
function useShoppable(ref: RefObject<HTMLElement | null>) {
  useEffect(() => {
    const element = ref.current!;
    void Shoppable.mount(element);
    return () => void Shoppable.unmount(element);
  }, [ref]);
}

/** A photo of a backend post. */
function ShoppablePhoto({ post, alt }: { post: string; alt: string }) {
  const image = useRef<HTMLImageElement>(null);
  useShoppable(image);
  return (
    <figure>
      <img ref={image} src={`/www/images/${post === "rocket" ? "rocket.jpg" : `${post}.png`}`} width={600} height={400} alt={alt} data-shoppable-post={post} />
    </figure>
  );
}

/** What the shopper last added to the bag, from the widget's events. */
function LastAdded() {
  const [product, setProduct] = useState<string | null>(null);
  // `on` returns the function that stops listening: the effect's cleanup.
  useEffect(() => Shoppable.on("shoppable:added-to-bag", (event) => setProduct(event.detail.productId)), []);
  return product ? <p role="status">Ajouté : {product}</p> : null;
}

function Home() {
  return (
    <>
      <h1>Looks</h1>
      <div className="photos">
        <ShoppablePhoto post="coffee" alt="Une tasse de café" />
        <ShoppablePhoto post="chelsea" alt="Chelsea, la chatte" />
      </div>
      <h2 className="later">Plus bas</h2>
      <ShoppablePhoto post="rocket" alt="Une fusée" />
    </>
  );
}

function Look({ post }: { post: string }) {
  return (
    <>
      <h1>Look {post}</h1>
      <ShoppablePhoto post={post} alt={`Look ${post}`} />
      <LastAdded />
    </>
  );
}

/** The custom element: the widget draws the post's own photo in it. */
function Story({ post }: { post: string }) {
  const element = useRef<HTMLElement>(null);
  useShoppable(element);
  return (
    <>
      <h1>Story {post}</h1>
      <shoppable-post ref={element} post={post} className="story" />
    </>
  );
}

function About() {
  return <h1>À propos</h1>;
}

function Page({ path }: { path: string }) {
  const [, section, id] = path.split("/");
  if (section === "looks" && id) return <Look key={id} post={id} />;
  if (section === "stories" && id) return <Story key={id} post={id} />;
  if (section === "about") return <About />;
  return <Home />;
}

function App() {
  const path = usePath();
  return (
    <>
      <nav>
        <Link to="/">Accueil</Link>
        <Link to="/looks/coffee">Look café</Link>
        <Link to="/looks/rocket">Look fusée</Link>
        <Link to="/stories/chelsea">Story Chelsea</Link>
        <Link to="/about">À propos</Link>
        <button type="button" onClick={() => void Shoppable.openCheckout("bag")}>
          Panier
        </button>
      </nav>
      <main>
        <Page path={path} />
      </main>
    </>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

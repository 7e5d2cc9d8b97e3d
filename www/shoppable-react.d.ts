/**
 * `<shoppable-post>` in React's JSX (React 19 types):
 *   import type {} from "shoppable/react";
 *   <shoppable-post post="look-42" />
 */
import type { HTMLAttributes, Key, Ref } from "react";

/** The attributes of `<shoppable-post>`: the backend post it shows, plus an element's usual props. */
export interface ShoppablePostAttributes extends HTMLAttributes<HTMLElement> {
  /** The backend post's id, as `data-shoppable-post` on an `<img>`. */
  post: string;
  ref?: Ref<HTMLElement>;
  key?: Key | null;
}

declare module "react" {
  namespace JSX {
    interface IntrinsicElements {
      "shoppable-post": ShoppablePostAttributes;
    }
  }
}

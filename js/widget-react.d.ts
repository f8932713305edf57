// Types of 'aicc-call/widget/react': React 19's JSX entry for <aicc-click-to-call> (React 19 sets `client`,
// `token` and `labels` as properties, and `onaicc-*` props listen to the element's events). Kept apart from
// 'aicc-call/widget' so that a project without React needs no @types/react.
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { AiccClickToCallAttributes, AiccClickToCallElement, AiccClickToCallEventMap } from './widget.js';

export * from './widget.js';

/** The element's event listeners as React 19 props: `onaicc-placed`, `onaicc-state`, … (the event's exact name after `on`). */
export type AiccClickToCallEventProps = {
  [K in keyof AiccClickToCallEventMap as `on${K}`]?: (event: AiccClickToCallEventMap[K]) => void;
};

/** `<aicc-click-to-call>` in React 19: its attributes, properties and events, and React's props of any HTML element. */
export type AiccClickToCallProps = Omit<DetailedHTMLProps<HTMLAttributes<AiccClickToCallElement>, AiccClickToCallElement>, 'lang' | 'children'> &
  Omit<AiccClickToCallAttributes, 'ref' | 'class' | 'children'> &
  AiccClickToCallEventProps;

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'aicc-click-to-call': AiccClickToCallProps;
    }
  }
}

// 'aicc-call/widget/react': the same element as 'aicc-call/widget' (importing it defines <aicc-click-to-call>);
// its types (widget-react.d.ts) add the element to React 19's JSX, which only React projects have.
import './widget.js';

export {
  hostOfHostHeader,
  isLoopbackHost,
  loopbackRequestRefusal,
  type RequestOrigin,
} from './loopback.js';
export {
  findFreePort,
  ListenError,
  listenAdvice,
  listenOn,
  type AdviceOptions,
  type ListenAdvice,
  type ListenProblemCode,
  type ListenTarget,
} from './listen.js';

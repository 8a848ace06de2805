package io.groupwarden.coordinator.net.sasl;

import java.io.IOException;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.UnsupportedCallbackException;

/**
 * The callbacks kafka-clients' SASL servers ask this broker: the user the client named comes in a
 * {@link NameCallback}, before the mechanism's own callback that the broker answers for that user.
 * Any other callback (a delegation token's, say) is unsupported.
 */
final class UserCallbacks {
  private UserCallbacks() {}

  /** Answers the mechanism's callback for the user named before it (null when none was). */
  interface Answer<C extends Callback> {
    void answer(String user, C callback) throws IOException;
  }

  static <C extends Callback> CallbackHandler handler(
      Class<C> mechanismCallback, Answer<C> answer) {
    return callbacks -> {
      String user = null;
      for (Callback callback : callbacks) {
        if (callback instanceof NameCallback name) {
          user = name.getDefaultName();
        } else if (mechanismCallback.isInstance(callback)) {
          answer.answer(user, mechanismCallback.cast(callback));
        } else {
          throw new UnsupportedCallbackException(callback);
        }
      }
    };
  }
}

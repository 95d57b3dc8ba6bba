package io.matchledger.api.live;

import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One client's stream of a view: a mailbox of one message, the newest not written yet, and at most one sender
 * writing it. A state offered while a write is under way waits there, and a newer one replaces it, so a slow client
 * gets the latest state, never a backlog.
 * <p>
 * A write blocks while the client's socket buffers are full: a client that stops reading (a frozen tab, a stuck
 * proxy) so holds up one sender until the container's write timeout ends its request, and never the poll or the
 * other streams (unless as many clients as there are senders stall at once). A client that went away is noticed when
 * a write to it fails, at the latest at the next heartbeat, and the container then ends its request.
 */
final class LiveStream {

    /** A state read after the read model's {@code move}, or a heartbeat ({@code state} null). */
    private record Message(long move, String state) {}

    private static final Message HEARTBEAT = new Message(-1, null);

    private final LiveView view;
    private final SseEmitter emitter;
    private final Executor senders;
    private final AtomicReference<Message> waiting = new AtomicReference<>();
    private final AtomicBoolean sending = new AtomicBoolean();
    /** What the client was sent last: read and written only by the one sender at a time ({@link #sending}). */
    private long sentMove = -1;

    private String sentState;
    private volatile boolean gone;

    LiveStream(LiveView view, SseEmitter emitter, Executor senders) {
        this.view = view;
        this.emitter = emitter;
        this.senders = senders;
    }

    LiveView view() {
        return view;
    }

    SseEmitter emitter() {
        return emitter;
    }

    boolean open() {
        return !gone;
    }

    /**
     * Sends {@code state}, read after {@code move}, unless the client has it already or has a state read after a
     * later move: a first message read before a move must not overwrite that move's push.
     */
    void offer(String state, long move) {
        post(new Message(move, state));
    }

    /**
     * The first message, written on the request's own thread before the emitter is handed to Spring MVC (which
     * buffers it until the response is set up), unless a sender is writing already: then it waits its turn as
     * {@link #offer} would.
     */
    void first(String state, long move) {
        if (!sending.compareAndSet(false, true)) {
            offer(state, move);
            return;
        }
        write(new Message(move, state));
        sending.set(false);
        if (waiting.get() != null) {
            drain();
        }
    }

    /** An SSE comment, unless a state is waiting: that is news enough to keep the stream alive. */
    void beat() {
        post(HEARTBEAT);
    }

    private void post(Message message) {
        waiting.accumulateAndGet(message, LiveStream::keep);
        drain();
    }

    /** Of the message waiting and the one offered, the one to write: a state over a heartbeat, the later move. */
    private static Message keep(Message waiting, Message offered) {
        if (waiting == null || (waiting.state() == null && offered.state() != null)) {
            return offered;
        }
        if (offered.state() == null) {
            return waiting;
        }
        return offered.move() >= waiting.move() ? offered : waiting;
    }

    /** Hands the writing to a sender, unless one is at it already (it takes what is waiting when done). */
    private void drain() {
        if (gone || !sending.compareAndSet(false, true)) {
            return;
        }
        try {
            senders.execute(this::writeWaiting);
        } catch (RejectedExecutionException stopped) {
            sending.set(false);
            gone = true; // shutting down: LiveViews.stop completes every stream
        }
    }

    /** On a sender: writes what is waiting until nothing is. */
    private void writeWaiting() {
        for (Message message = waiting.getAndSet(null); message != null && !gone; message = waiting.getAndSet(null)) {
            write(message);
        }
        sending.set(false);
        if (waiting.get() != null) {
            drain(); // offered after the loop found nothing, before it let go
        }
    }

    private void write(Message message) {
        if (message.state() == null) {
            send(SseEmitter.event().comment("heartbeat"));
            return;
        }
        if (message.move() < sentMove || message.state().equals(sentState)) {
            return;
        }
        sentMove = message.move();
        sentState = message.state();
        send(SseEmitter.event().data(message.state()));
    }

    private void send(SseEmitter.SseEventBuilder event) {
        try {
            emitter.send(event);
        } catch (IOException | IllegalStateException failure) {
            // The client went away, or the stream has ended: the container ends the request and calls back
            // (onCompletion); nothing more is sent meanwhile.
            gone = true;
        }
    }
}

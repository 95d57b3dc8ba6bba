package io.matchledger.projections.lifecycle;

import io.matchledger.projections.ReadModelGate;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.queryhandling.QueryBus;
import org.axonframework.queryhandling.QueryMessage;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Every query handler of the read models runs inside the {@link ReadModelGate}: all reads of the read models go
 * through Axon's query bus, so this is the one place readers wait while a rebuild's tables trade names.
 */
@Component
class GatedQueries implements MessageHandlerInterceptor<QueryMessage<?, ?>>, SmartInitializingSingleton {

    private final ObjectProvider<QueryBus> queryBus;
    private final ReadModelGate gate;

    GatedQueries(ObjectProvider<QueryBus> queryBus, ReadModelGate gate) {
        this.queryBus = queryBus;
        this.gate = gate;
    }

    @Override
    public void afterSingletonsInstantiated() {
        queryBus.ifAvailable(bus -> bus.registerHandlerInterceptor(this));
    }

    @Override
    public Object handle(UnitOfWork<? extends QueryMessage<?, ?>> unitOfWork, InterceptorChain chain) throws Exception {
        Object[] answer = new Object[1];
        Exception[] failure = new Exception[1];
        gate.read(() -> {
            try {
                answer[0] = chain.proceed();
            } catch (Exception e) {
                failure[0] = e;
            }
            return null;
        });
        if (failure[0] != null) {
            throw failure[0];
        }
        return answer[0];
    }
}

package io.matchledger.bench;

/** CPU readings around one load: before it, at its last answer, and once the projections had handled it. */
record CpuSpan(CpuMeter.Reading before, CpuMeter.Reading end, CpuMeter.Reading after, double catchUpSeconds) {

    LoadResult.Cpu cost(CpuMeter meter, LoadResult load) {
        long matches = load.operations() - load.errors();
        return new LoadResult.Cpu(
                CpuMeter.processUsPer(before, after, matches),
                CpuMeter.processUsPer(before, end, matches),
                meter.postgresUsPer(before, after, matches),
                catchUpSeconds);
    }
}

# The ledger service as a container image. Build the jar first: ./mvnw -pl ledger-api -am package -DskipTests
FROM eclipse-temurin:17.0.13_11-jre
RUN useradd --system --home-dir /app ledger
WORKDIR /app
COPY ledger-api/target/ledger-api-*.jar /app/ledger.jar
USER ledger
EXPOSE 8080
# The service in under 512 MB of RSS under load (docs/performance.md, "Memory of the service alone"); the same options as
# ledger.jvm.options in ledger-api/pom.xml, which the README's run command uses. Override with -e JAVA_OPTS=... for a
# larger heap (many more players in memory, or more throughput: the measured cost of these is 20-35% of it).
ENV JAVA_OPTS="-Xmx176m -XX:+UseSerialGC -Xss512k -XX:ReservedCodeCacheSize=48m -XX:MaxMetaspaceSize=160m -XX:MaxDirectMemorySize=16m" \
    MALLOC_ARENA_MAX=2
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -Daxoniq.update-checker.disabled=true -jar /app/ledger.jar"]

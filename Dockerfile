# The ledger service as a container image. Build the jar first: ./mvnw -pl ledger-api -am package -DskipTests
FROM eclipse-temurin:17.0.13_11-jre
RUN useradd --system --home-dir /app ledger
WORKDIR /app
COPY ledger-api/target/ledger-api-*.jar /app/ledger.jar
USER ledger
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-Daxoniq.update-checker.disabled=true", "-jar", "/app/ledger.jar"]

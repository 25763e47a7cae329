# Builds and runs civicbot. Used by docker-compose.yml together with a real MongoDB.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -ntp -DskipTests package

FROM eclipse-temurin:17-jre
RUN useradd --system --home /srv/civicbot civicbot && mkdir -p /srv/civicbot/data && chown civicbot /srv/civicbot/data
WORKDIR /srv/civicbot
COPY --from=build /src/app/target/civicbot-app-*.jar civicbot.jar
USER civicbot
EXPOSE 8080
ENV CIVICBOT_DATA_DIR=/srv/civicbot/data
ENTRYPOINT ["java", "-jar", "/srv/civicbot/civicbot.jar"]

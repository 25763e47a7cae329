package org.civicbot.bot.media;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import org.bson.Document;
import org.bson.types.ObjectId;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.data.mongodb.gridfs.ReactiveGridFsTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Photos in GridFS. Each is stored under a name derived from what brought it (inbound message and
 * position), so storing the same photo again returns the first copy's id. A photo is stored without its metadata
 * ({@link ImageMetadata}: the phone's position, make and time in a JPEG's EXIF, a PNG's text), never with it.
 */
public class PhotoStore {

    private final ReactiveGridFsTemplate gridFs;

    public PhotoStore(ReactiveGridFsTemplate gridFs) {
        this.gridFs = gridFs;
    }

    /** A stored photo's bytes and type. */
    public record StoredPhoto(String id, byte[] bytes, String contentType) {}

    public Mono<String> store(String name, byte[] bytes, String contentType) {
        return gridFs.findFirst(query(where("filename").is(name)))
                .map(file -> file.getObjectId().toHexString())
                .switchIfEmpty(Mono.defer(() -> {
                    byte[] clean = ImageMetadata.strip(bytes, contentType);
                    Flux<DataBuffer> content = Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(clean));
                    return gridFs.store(content, name, contentType, new Document("contentType", contentType))
                            .map(ObjectId::toHexString);
                }));
    }

    /** The id of the photo stored under {@code name}, if there is one. */
    public Mono<String> named(String name) {
        return gridFs.findFirst(query(where("filename").is(name))).map(file -> file.getObjectId().toHexString());
    }

    /** Deletes a stored photo (its bytes and its entry); whether there was one. */
    public Mono<Boolean> delete(String id) {
        if (!ObjectId.isValid(id)) {
            return Mono.just(false);
        }
        return gridFs.findOne(query(where("_id").is(new ObjectId(id))))
                .flatMap(file -> gridFs.delete(query(where("_id").is(new ObjectId(id)))).thenReturn(true))
                .defaultIfEmpty(false);
    }

    /** The type a photo was stored with, if it exists. */
    public Mono<String> contentType(String id) {
        if (!ObjectId.isValid(id)) {
            return Mono.empty();
        }
        return gridFs.findOne(query(where("_id").is(new ObjectId(id))))
                .mapNotNull(file -> file.getMetadata() == null ? null : file.getMetadata().getString("contentType"));
    }

    public Mono<StoredPhoto> load(String id) {
        if (!ObjectId.isValid(id)) {
            return Mono.empty();
        }
        return gridFs.findOne(query(where("_id").is(new ObjectId(id))))
                .flatMap(file -> gridFs.getResource(file)
                        .flatMap(resource -> DataBufferUtils.join(resource.getDownloadStream()))
                        .map(buffer -> {
                            byte[] bytes = new byte[buffer.readableByteCount()];
                            buffer.read(bytes);
                            DataBufferUtils.release(buffer);
                            String type = file.getMetadata() == null ? null : file.getMetadata().getString("contentType");
                            return new StoredPhoto(id, bytes, type);
                        }));
    }
}

package io.gnnnids.core.store;

import io.gnnnids.core.testing.S3ServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.UUID;

class S3ColdStoreTest extends ColdStoreContract {

    @RegisterExtension
    static final S3ServerExtension S3 = new S3ServerExtension();

    @Override
    ObjectStore store() {
        return S3.openStore("cold-" + UUID.randomUUID());
    }
}

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef DIVERT_SOCKET_FACTORY_H
#define DIVERT_SOCKET_FACTORY_H

#include "ns3/socket-factory.h"

namespace ns3
{

/**
 * \ingroup divert
 * \brief API to create divert sockets: the factory aggregated to a divert node.
 *
 * `Socket::CreateSocket(node, DivertSocketFactory::GetTypeId())` returns a
 * DivertSocket. On a node where the "DivertSockets" kernel option is off the
 * socket is created in an error state: every call fails with
 * ERROR_OPNOTSUPP, and a warning names the option.
 */
class DivertSocketFactory : public SocketFactory
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
};

} // namespace ns3

#endif /* DIVERT_SOCKET_FACTORY_H */
